/**
 * Finding a Java 17 runtime for Cassandra and Kafka. Cassandra 5.0 runs on 11 or 17 only (it calls
 * System.setSecurityManager, which JDK 24 removed, and its JVM flags are written for 17), so a newer default
 * `java` is not good enough: we look for a 17 and install Debian's if there is none.
 */
import { realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensureDebianPackages } from './apt.js';
import { SetupError } from './errors.js';
import { capture, hasCommand } from './shell.js';

function majorVersion(java: string): number | undefined {
  const result = capture(java, ['-version']);
  const match = result && /version "(\d+)(?:\.(\d+))?/.exec(result.text);
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}

function candidates(): string[] {
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  return [
    process.env.STREAMLAB_JAVA,
    process.env.JAVA_HOME && `${process.env.JAVA_HOME}/bin/java`,
    `/usr/lib/jvm/java-17-openjdk-${arch}/bin/java`,
    'java',
  ].filter((path): path is string => !!path && hasCommand(path));
}

let found: string | undefined;

/** Path of a Java 17 `java`; installs openjdk-17-jre-headless through apt when none is there. */
export function java17(): string {
  if (found) return found;
  const pick = () => candidates().find((java) => majorVersion(java) === 17);
  let java = pick();
  if (!java) {
    try {
      ensureDebianPackages(['openjdk-17-jre-headless'], 'Cassandra and Kafka');
    } catch (error) {
      throw new SetupError(
        `Cassandra and Kafka need Java 17 and none was found (${error instanceof Error ? error.message : error})`,
        'install OpenJDK 17 (Debian: apt-get install openjdk-17-jre-headless) or set STREAMLAB_JAVA=/path/to/java17/bin/java',
      );
    }
    java = pick();
    if (!java) throw new SetupError('openjdk-17-jre-headless is installed but no Java 17 was found', 'set STREAMLAB_JAVA');
  }
  found = realpathSync(java === 'java' ? capture('/bin/sh', ['-c', 'command -v java'])!.stdout.trim() : java);
  return found;
}

/** JAVA_HOME of that runtime (Maven runs on it too). */
export function javaHome(): string {
  return dirname(dirname(java17()));
}
