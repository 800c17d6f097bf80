/**
 * Installing Debian packages (mariadb-server, postgresql-15, influxdb) when they are missing.
 *
 * Debian's maintainer scripts start a freshly installed server on its default port (3306, 5432, 8086) through
 * invoke-rc.d. We never want that system-wide copy running, so unless the machine already has a
 * /usr/sbin/policy-rc.d (container images usually do), one that denies every start is put in place for the
 * duration of the install and removed afterwards.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { SetupError } from './errors.js';
import { capture, hasCommand, runLogged } from './shell.js';

const POLICY = '/usr/sbin/policy-rc.d';
let listsUpdated = false;

export function isInstalled(pkg: string): boolean {
  const result = capture('dpkg-query', ['-W', '-f=${Status}', pkg]);
  return result?.status === 0 && result.text.includes('install ok installed');
}

export function ensureDebianPackages(packages: string[], why: string): void {
  const missing = packages.filter((pkg) => !isInstalled(pkg));
  if (missing.length === 0) return;
  const manual = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!hasCommand('apt-get')) {
    throw new SetupError(
      `${why} needs the Debian package(s) ${missing.join(', ')}, and this machine has no apt-get`,
      `install them with your system's package manager (they provide the server binaries), then run again`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new SetupError(`${why} needs the Debian package(s) ${missing.join(', ')}`, `run: sudo ${manual}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\n# streamlab services: do not start system-wide servers\nexit 101\n', { mode: 0o755 });
  try {
    if (!listsUpdated) {
      runLogged('apt-get update', 'apt-get', ['update'], { env, why: `the package lists, before installing ${missing.join(' ')}` });
      listsUpdated = true;
    }
    runLogged(`installing Debian packages ${missing.join(' ')}`, 'apt-get', ['install', '-y', '--no-install-recommends', ...missing], {
      env,
      why: `for ${why}, first time only`,
    });
  } finally {
    if (ownPolicy) rmSync(POLICY, { force: true });
  }
}
