/** The `camb-rx` command: watch CAMB tasks and transcribe media from a terminal. */
process.stdout.write('usage: camb-rx watch <taskId...> | camb-rx transcribe <file|url> --language N\n');
