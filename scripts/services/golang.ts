/**
 * Building a Go program from the Go module proxy once and keeping the binary in the cache.
 *
 * GOPATH, the module cache and the build cache all live under `<cache>/go`, so a rebuild (e.g. another version)
 * reuses downloads, and removing the cache is a real cold start. GOTOOLCHAIN=local keeps Go from fetching another
 * toolchain for an old go.mod. If `go install module@version` refuses (go.sum or module checks of an old module
 * under a new Go), we fall back to building in a writable copy of the downloaded module with -mod=mod.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebianPackages } from './apt.js';
import { SetupError } from './errors.js';
import { cacheDir } from './paths.js';
import { capture, hasCommand, runLogged } from './shell.js';

export interface GoProgram {
  module: string;
  version: string;
  /** Package path inside the module, e.g. `cmd/influxd`. */
  pkg: string;
  binary: string;
  /** What the program is, for the step line: `InfluxDB 1.8.10`. */
  title: string;
  ldflags?: string;
}

function goCommand(): string {
  for (const go of ['go', '/usr/local/go/bin/go', '/usr/lib/go/bin/go']) if (hasCommand(go)) return go;
  try {
    ensureDebianPackages(['golang-go'], 'building InfluxDB 1.8');
  } catch (error) {
    throw new SetupError(
      `Go is needed to build InfluxDB 1.8 and was not found (${error instanceof Error ? error.message : error})`,
      'install Go 1.19 or newer (Debian: apt-get install golang-go) and run again',
    );
  }
  return 'go';
}

function goEnv(gobin?: string): NodeJS.ProcessEnv {
  const root = join(cacheDir, 'go');
  return {
    ...process.env,
    GOPATH: root,
    GOMODCACHE: join(root, 'mod'),
    GOCACHE: join(root, 'build'),
    GOTOOLCHAIN: 'local',
    ...(gobin ? { GOBIN: gobin } : {}),
  };
}

/** Path of the cached binary, building it first when it is not there. */
export function goBinary(program: GoProgram): string {
  const dir = join(cacheDir, `${program.binary}-${program.version}`);
  const binary = join(dir, program.binary);
  if (existsSync(binary)) return binary;

  const go = goCommand();
  const staging = join(dir, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const flags = program.ldflags ? [`-ldflags=${program.ldflags}`] : [];
  const target = `${program.module}/${program.pkg}@${program.version}`;
  try {
    runLogged(`building ${program.title} from the Go module proxy`, go, ['install', ...flags, target], {
      env: goEnv(staging),
      why: 'first time only, ~1 min',
    });
  } catch (first) {
    process.stderr.write(`  go install failed; retrying in a writable copy of the module with -mod=mod\n`);
    buildInCopy(go, program, staging, flags, first);
  }
  // Rename last, so an interrupted build never leaves a half-written binary that looks cached.
  renameSync(join(staging, program.binary), binary);
  rmSync(staging, { recursive: true, force: true });
  return binary;
}

function buildInCopy(go: string, program: GoProgram, staging: string, flags: string[], first: unknown): void {
  const module = `${program.module}@${program.version}`;
  runLogged(`downloading ${module}`, go, ['mod', 'download', module], { env: goEnv(), why: 'to build it in a writable copy' });
  const info = capture(go, ['mod', 'download', '-json', module], goEnv());
  const source = info?.status === 0 ? (JSON.parse(info.stdout) as { Dir?: string }).Dir : undefined;
  if (!source) throw first;
  const copy = join(cacheDir, 'go', 'src', module.replaceAll('/', '_'));
  rmSync(copy, { recursive: true, force: true });
  cpSync(source, copy, { recursive: true });
  chmodAll(copy);
  runLogged(
    `building ${program.title} in a writable copy of the module`,
    go,
    ['build', '-mod=mod', ...flags, '-o', join(staging, program.binary), `./${program.pkg}`],
    { cwd: copy, env: goEnv(), why: 'go install refused it; ~1 min' },
  );
}

/** Module cache files are read-only; the copy must be writable for -mod=mod to update go.mod/go.sum. */
function chmodAll(dir: string): void {
  capture('chmod', ['-R', 'u+w', dir]);
  chmodSync(dir, 0o755);
}
