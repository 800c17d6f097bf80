import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../support/temp-dir.js';
import { findServicesDir, servicesEnv } from '../../src/config/services-env.js';

function servicesFolder(lines: string[]): string {
  const cwd = makeTempDir('streamlab-services-');
  mkdirSync(join(cwd, '.services'));
  writeFileSync(join(cwd, '.services', 'env'), `# Written by \`npm run services\`\n${lines.join('\n')}\n`);
  return cwd;
}

describe('services env for streamlab run, validate, explain and bench', () => {
  it("maps each server of .services/env to its profile's variables", () => {
    const cwd = servicesFolder([
      'STREAMLAB_TEST_MARIADB=127.0.0.1:3307',
      'STREAMLAB_TEST_INFLUXDB1=127.0.0.1:8186',
      'STREAMLAB_TEST_INFLUXDB18=127.0.0.1:8187',
      'STREAMLAB_TEST_CASSANDRA=127.0.0.1:9043',
      'STREAMLAB_TEST_STARROCKS=127.0.0.1:18030',
      'STREAMLAB_TEST_KAFKA=127.0.0.1:9192',
      'STREAMLAB_TEST_POSTGRES=127.0.0.1:5433',
    ]);
    const dir = findServicesDir(cwd, {});
    assert.equal(dir, join(cwd, '.services'));
    const services = servicesEnv(dir as string, {});
    assert.deepEqual(services.vars, {
      INFLUX_URL: 'http://127.0.0.1:8187',
      INFLUX_TOKEN: 'no-auth-on-this-server',
      INFLUX_ORG: 'streamlab',
      INFLUX_BUCKET: 'streamlab',
      MYSQL_HOST: '127.0.0.1',
      MYSQL_PORT: '3307',
      MYSQL_DATABASE: 'streamlab',
      MYSQL_USER: 'root',
      MYSQL_PASSWORD: '',
      CASSANDRA_CONTACT_POINTS: '127.0.0.1:9043',
      CASSANDRA_KEYSPACE: 'streamlab',
      CASSANDRA_LOCAL_DC: 'datacenter1',
      CASSANDRA_USERNAME: '',
      CASSANDRA_PASSWORD: '',
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9192',
      PGHOST: '127.0.0.1',
      PGPORT: '5433',
      PGDATABASE: 'streamlab',
      PGUSER: 'postgres',
      PGPASSWORD: '',
      STARROCKS_FE_HOST: '127.0.0.1',
      STARROCKS_HTTP_PORT: '18030',
      STARROCKS_MYSQL_PORT: '3307',
      STARROCKS_DATABASE: 'streamlab',
      STARROCKS_USER: 'root',
      STARROCKS_PASSWORD: '',
    });
    assert.deepEqual(services.servers, [
      'influxdb18 127.0.0.1:8187',
      'mariadb 127.0.0.1:3307',
      'cassandra 127.0.0.1:9043',
      'kafka 127.0.0.1:9192',
      'postgres 127.0.0.1:5433',
      'starrocks 127.0.0.1:18030',
    ]);
  });

  it('sets nothing for a server that is not listed, and a STREAMLAB_TEST_ variable overrides its line', () => {
    const cwd = servicesFolder(['STREAMLAB_TEST_MARIADB=127.0.0.1:3307']);
    const services = servicesEnv(join(cwd, '.services'), { STREAMLAB_TEST_MARIADB: '127.0.0.1:3306', INFLUX_URL: 'http://elsewhere:8086' });
    assert.deepEqual(Object.keys(services.vars).sort(), ['MYSQL_DATABASE', 'MYSQL_HOST', 'MYSQL_PASSWORD', 'MYSQL_PORT', 'MYSQL_USER']);
    assert.equal(services.vars.MYSQL_PORT, '3306');
  });

  it('finds the folder through STREAMLAB_SERVICES_DIR, and none where there is no env file', () => {
    const elsewhere = servicesFolder(['STREAMLAB_TEST_CASSANDRA=127.0.0.1:9043']);
    const cwd = makeTempDir('streamlab-no-services-');
    assert.equal(findServicesDir(cwd, {}), undefined);
    assert.equal(findServicesDir(cwd, { STREAMLAB_SERVICES_DIR: join(elsewhere, '.services') }), join(elsewhere, '.services'));
  });
});
