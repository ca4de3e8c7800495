// Placeholder entry point: the System.CommandLine verbs are wired in Commands/.
return 0;
