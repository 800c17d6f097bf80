/**
 * TSBS's simulated hosts (github.com/timescale/tsbs, pkg/data/usecases/devops/host.go): ten string tags per host,
 * fixed for its life. The value sets are TSBS's; which value a host gets is chosen here by a hash of the host's
 * number and the tag, where TSBS draws from Go's math/rand seeded by --seed: the same choices from the same sets
 * with the same (uniform) odds, but not the same host-by-host assignment as any TSBS seed.
 */
import { pick3 } from '../../core/hash.js';

/** host.go `regions`: each region with its datacenters. */
export const TSBS_REGIONS: ReadonlyArray<{ name: string; datacenters: readonly string[] }> = [
  { name: 'us-east-1', datacenters: ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1e'] },
  { name: 'us-west-1', datacenters: ['us-west-1a', 'us-west-1b'] },
  { name: 'us-west-2', datacenters: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
  { name: 'eu-west-1', datacenters: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  { name: 'eu-central-1', datacenters: ['eu-central-1a', 'eu-central-1b'] },
  { name: 'ap-southeast-1', datacenters: ['ap-southeast-1a', 'ap-southeast-1b'] },
  { name: 'ap-southeast-2', datacenters: ['ap-southeast-2a', 'ap-southeast-2b'] },
  { name: 'ap-northeast-1', datacenters: ['ap-northeast-1a', 'ap-northeast-1c'] },
  { name: 'sa-east-1', datacenters: ['sa-east-1a', 'sa-east-1b', 'sa-east-1c'] },
];
export const TSBS_TEAMS = ['SF', 'NYC', 'LON', 'CHI'] as const;
export const TSBS_OS = ['Ubuntu16.10', 'Ubuntu16.04LTS', 'Ubuntu15.10'] as const;
export const TSBS_ARCH = ['x64', 'x86'] as const;
export const TSBS_SERVICE_ENVIRONMENTS = ['production', 'staging', 'test'] as const;
/** host.go: rack, service and service_version are decimal numbers below these counts, written as strings. */
export const TSBS_RACKS = 100;
export const TSBS_SERVICES = 20;
export const TSBS_SERVICE_VERSIONS = 2;

/** host.go `MachineTagKeys`, in TSBS's order (the order of the tags in its line protocol). */
export const TSBS_TAG_KEYS = [
  'hostname',
  'region',
  'datacenter',
  'rack',
  'os',
  'arch',
  'team',
  'service',
  'service_version',
  'service_environment',
] as const;

export type HostTags = Record<(typeof TSBS_TAG_KEYS)[number], string>;

/** Salt of the tag hashes, so that they are unrelated to the hashes of the usage values. */
const TAG_SALT = 0x7a6;

const numberBelow = (limit: number, host: number, tag: number) => String(pick3(limit, host, TAG_SALT, tag));

/** The tags of host `host` (from 0): `hostname` is `host_<host>` as TSBS's `host_%d`; the rest a pure function of it. */
export function hostTags(host: number): HostTags {
  const choose = <T>(values: readonly T[], tag: number): T => values[pick3(values.length, host, TAG_SALT, tag)];
  const region = choose(TSBS_REGIONS, 1);
  return {
    hostname: `host_${host}`,
    region: region.name,
    datacenter: choose(region.datacenters, 2),
    rack: numberBelow(TSBS_RACKS, host, 3),
    os: choose(TSBS_OS, 4),
    arch: choose(TSBS_ARCH, 5),
    team: choose(TSBS_TEAMS, 6),
    service: numberBelow(TSBS_SERVICES, host, 7),
    service_version: numberBelow(TSBS_SERVICE_VERSIONS, host, 8),
    service_environment: choose(TSBS_SERVICE_ENVIRONMENTS, 9),
  };
}
