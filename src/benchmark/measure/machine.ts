/** Where the bench ran: the machine (via systeminformation) and the versions of streamlab and Node. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import si from 'systeminformation';
import { PACKAGE_ROOT } from '../../config/load-job.js';
import type { BenchResults, Machine } from '../results.js';

export async function describeMachine(): Promise<Machine> {
  const [cpu, mem, os] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
  const model = [cpu.manufacturer, cpu.brand].filter(Boolean).join(' ').trim() || 'unknown CPU';
  const release = [os.distro, os.release, os.codename ? `(${os.codename})` : ''].filter(Boolean).join(' ');
  return {
    cpu: model,
    cores: cpu.cores,
    physicalCores: cpu.physicalCores,
    memoryBytes: mem.total,
    os: `${release}, kernel ${os.kernel}`,
    arch: os.arch,
  };
}

export function versions(): BenchResults['versions'] {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return { streamlab: pkg.version, node: process.version };
}
