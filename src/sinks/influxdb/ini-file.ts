import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { ConfigLocation } from '../../component/definition.js';

/** The connection settings the course's `influxdb.ini` holds, as `InfluxDBClient.from_config_file()` reads them. */
export interface IniConnection {
  url?: string;
  org?: string;
  token?: string;
}

export const INI_SECTION = 'influx2';

/**
 * Reads the `[influx2]` section of an influxdb.ini: `key = value` (or `key: value`) lines, `#` and `;` comments, and
 * double quotes around a value stripped, as the Python client does (`value.strip('"')`). A local configuration
 * file, like `.env` and the profiles: read while building the job, so a missing file or key is a config error
 * (exit 2) and the token is known to the redactor before anything is printed.
 */
export function readIniFile(path: string, location: ConfigLocation, cwd = process.cwd()): IniConnection {
  const where = { file: location.file, path: `${location.path}.iniFile` };
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw ConfigError.single({ ...where, message: `cannot read ${absolute}: ${reason}` });
  }
  const sections = parseIni(text);
  const section = sections.get(INI_SECTION);
  if (!section) {
    const found = [...sections.keys()].filter((s) => s !== '');
    throw ConfigError.single({
      ...where,
      message: `${path} has no [${INI_SECTION}] section (${found.length ? `sections: ${found.map((s) => `[${s}]`).join(', ')}` : 'no sections'}); it needs url, org and token under [${INI_SECTION}]`,
    });
  }
  const value = (key: string) => {
    const raw = section.get(key);
    return raw === undefined || raw === '' ? undefined : raw;
  };
  return { url: value('url'), org: value('org'), token: value('token') };
}

/** Sections by name (lower-cased keys, as configparser), each a map of key to value. */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>([['', new Map()]]);
  let current = sections.get('')!;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1].trim();
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (match) current.set(match[1].toLowerCase(), stripQuotes(match[2]));
  }
  return sections;
}

function stripQuotes(value: string): string {
  return value.replace(/^"+|"+$/g, '');
}
