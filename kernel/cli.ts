#!/usr/bin/env node
/**
 * The `optilab` command. Subcommands load their code on demand, so `optilab kernel`
 * starts without the runner's or the installer's modules.
 */

import { UsageError, parseArgs } from './args.js';

const USAGE = `usage: optilab <command> [options]

commands:
  kernel --connection-file FILE          run the Jupyter kernel (Jupyter starts this)
  kernel install [--user | --sys-prefix | --prefix PATH]
                                         install the "TypeScript (optilab)" kernelspec (default --user)
  kernel uninstall [--user | --sys-prefix | --prefix PATH]
                                         remove it
  run PATH... [--smoke | --quick] [-p NAME=VALUE]... [--report DIR] [--timeout SECONDS] [--jobs N]
      [--server URL [--token TOKEN]]     execute notebooks (files or folders) and write a report;
                                         with --server, on kernels of that running Jupyter server
  reproductions [--all] [--timeout SECONDS] [--jobs N]
                                         re-run changed paper notebooks (QUICK) and regenerate REPRODUCTIONS.md
  notebook convert FILE [-o OUT]         convert between a percent-format .ts script and .ipynb
  datasets list | generate [NAME...] [--verify] | verify [NAME...]
                                         the operator-learning data sets under datasets/
  lab [--port N] [--notebook-dir DIR] [--install]
                                         install the kernelspec and start JupyterLab on notebooks/
                                         (--install: install the kernelspec and JupyterLab, start nothing)
  --help, --version
`;

async function kernelCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'install' || argv[0] === 'uninstall') {
    const { installKernelSpec, uninstallKernelSpec } = await import('./kernelspec/install.js');
    const a = parseArgs(argv.slice(1), { flags: ['--user', '--sys-prefix'], values: ['--prefix'] });
    if (a.positionals.length) throw new UsageError(`kernel ${argv[0]}: unexpected argument ${a.positionals[0]}`);
    const chosen = [a.flags.has('--user'), a.flags.has('--sys-prefix'), a.values.has('--prefix')].filter(Boolean).length;
    if (chosen > 1) throw new UsageError(`kernel ${argv[0]}: choose one of --user, --sys-prefix, --prefix PATH`);
    const scope = a.values.has('--prefix')
      ? { kind: 'prefix' as const, prefix: a.values.get('--prefix')! }
      : a.flags.has('--sys-prefix')
        ? { kind: 'sys-prefix' as const }
        : { kind: 'user' as const };
    if (argv[0] === 'install') {
      const dir = installKernelSpec(scope);
      process.stdout.write(`Installed the optilab kernelspec in ${dir}\n`);
    } else {
      const dir = uninstallKernelSpec(scope);
      process.stdout.write(dir ? `Removed the optilab kernelspec from ${dir}\n` : `No optilab kernelspec was installed there.\n`);
    }
    return 0;
  }
  const a = parseArgs(argv, { values: ['--connection-file', '-f', '--notebook-dir'] });
  const file = a.values.get('--connection-file') ?? a.values.get('-f') ?? a.positionals[0];
  if (!file) throw new UsageError('kernel: --connection-file FILE is required (Jupyter passes it)');
  const { readConnectionFile } = await import('./protocol/connection.js');
  const { Kernel } = await import('./server/kernel.js');
  const kernel = new Kernel(readConnectionFile(file), { notebookDir: a.values.get('--notebook-dir') ?? process.cwd() });
  await kernel.start();
  return -1; // keeps running
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(USAGE);
    return 0;
  }
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    case '--version': {
      const { packageVersion } = await import('./paths.js');
      process.stdout.write(packageVersion() + '\n');
      return 0;
    }
    case 'kernel':
      return kernelCommand(rest);
    case 'run':
      return (await import('./runner/cli.js')).runCommand(rest);
    case 'reproductions':
      return (await import('./runner/cli.js')).reproductionsCommand(rest);
    case 'notebook':
      return (await import('./runner/cli.js')).notebookCommand(rest);
    case 'lab':
      return (await import('./lab.js')).labCommand(rest);
    case 'datasets':
      return (await import('../datasets/cli.js')).main(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`optilab: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`optilab: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 1;
    }
  },
);
