/** JVM options shared by the Java servers. */

/** A JVM that hits OutOfMemoryError must die (and show up as down), not limp on with corrupted state. */
export const COMMON_JVM_OPTIONS = [
  '-XX:+UseG1GC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
  '-Djava.net.preferIPv4Stack=true',
];

/** `-cp <lib>/*`: the JVM expands the wildcard to every jar Maven copied. */
export function classpath(lib: string): string[] {
  return ['-cp', `${lib}/*`];
}
