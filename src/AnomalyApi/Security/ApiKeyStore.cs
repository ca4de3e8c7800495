using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AnomalyApi.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 hashes. A presented key is hashed and compared with every stored hash
/// by <see cref="CryptographicOperations.FixedTimeEquals"/>, without stopping at a match: the time taken says
/// nothing about how much of a key was right, how long the real keys are, or which key matched.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly StoredKey[] _keys;

    public ApiKeyStore(IOptions<AuthOptions> options)
    {
        var auth = options.Value;
        var adminKeysSet = auth.AdminKeys.Length > 0;
        // While Auth:AdminKeys is empty the API keys open /admin/* too; otherwise only the admin keys do.
        _keys =
        [
            .. auth.ApiKeys.Select((key, i) => new StoredKey(Hash(key), $"api-key-{i + 1}", IsAdmin: !adminKeysSet)),
            .. auth.AdminKeys.Select((key, i) => new StoredKey(Hash(key), $"admin-key-{i + 1}", IsAdmin: true)),
        ];
        ApiOpen = auth.ApiKeys.Length == 0;
        AdminClosed = !_keys.Any(k => k.IsAdmin);
    }

    /// <summary>No Auth:ApiKeys: the API answers without a key.</summary>
    public bool ApiOpen { get; }

    /// <summary>No key opens /admin/*: it answers 401 to everyone.</summary>
    public bool AdminClosed { get; }

    /// <summary>The key's name (api-key-2, admin-key-1: its place in configuration, never the key) when it is one of ours.</summary>
    public (string Name, bool IsAdmin)? Find(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(presented, hash);
        (string, bool)? found = null;
        foreach (var key in _keys)
        {
            // Every stored hash is compared, match or not.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash) & found is null)
            {
                found = (key.Name, key.IsAdmin);
            }
        }
        return found;
    }

    private static byte[] Hash(string key)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        Hash(key, hash);
        return hash;
    }

    private static void Hash(string key, Span<byte> destination) => SHA256.HashData(Encoding.UTF8.GetBytes(key), destination);

    private sealed record StoredKey(byte[] Hash, string Name, bool IsAdmin);
}
