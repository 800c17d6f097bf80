/**
 * `npm run services -- <up|down|status> [name ...]`: real servers on 127.0.0.1 for tests and local runs,
 * installed from Debian packages, Maven Central and the Go module proxy, without Docker.
 */
import { parseArgs } from 'node:util';
import { down } from './down.js';
import { SetupError } from './errors.js';
import { cacheDir, envFile, servicesDir } from './paths.js';
import { SERVERS, selectServers } from './registry.js';
import { status } from './status.js';
import { up } from './up.js';

function help(): string {
  const servers = SERVERS.map(
    (s) =>
      `  ${s.name.padEnd(14)} ${s.summary}\n${' '.repeat(17)}port ${s.ports.map((p) => `${p.default} (${p.key}, ${p.env})`).join(', ')}`,
  );
  return `Usage: npm run services -- <command> [name ...]

Commands:
  up [name ...]      install what is missing, start the servers (all by default) one at a time, wait until each
                     answers a query, and write their addresses to ${envFile}
  down [name ...]    stop the servers that these scripts started (by recorded PID)
  status [name ...]  show which servers run, answer, and how much memory they use

Servers (all on 127.0.0.1; data in ${servicesDir}/<name>/, downloads and builds cached in ${cacheDir}):
${servers.join('\n')}

Options:
  -h, --help         show this help

Environment: STREAMLAB_<NAME>_PORT (see above) moves a server to another port; STREAMLAB_CACHE_DIR moves the
cache; STREAMLAB_JAVA points at a Java 17 \`java\`. See docs/servers.md.
`;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  const [command, ...names] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(help());
    return command === undefined && !values.help ? 2 : 0;
  }
  const servers = selectServers(names);
  switch (command) {
    case 'up':
      return (await up(servers)).length === 0 ? 0 : 1;
    case 'down':
      await down(servers);
      return 0;
    case 'status':
      return (await status(servers)) ? 0 : 1;
    default:
      throw new SetupError(`unknown command "${command}"`, 'use up, down or status (see --help)');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SetupError || (error instanceof TypeError && 'code' in error)) {
      process.stderr.write(`services: ${error.message}\n${error instanceof SetupError && error.hint ? `  -> ${error.hint}\n` : ''}`);
      process.exit(2);
    }
    process.stderr.write(`services: unexpected error: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
