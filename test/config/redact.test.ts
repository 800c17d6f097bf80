import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadJob } from '../../src/config/load-job.js';
import { redact, registerSecret } from '../../src/core/redact.js';
import { cliPath } from '../support/cli.js';

const folders: string[] = [];
after(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const cwd = mkdtempSync(join(tmpdir(), 'streamlab-redact-'));
  folders.push(cwd);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(cwd, path, '..'), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  return cwd;
}

describe('redact', () => {
  it('replaces registered secret values wherever they appear', () => {
    registerSecret('s3cr3t-token');
    assert.equal(redact('401 for token s3cr3t-token at http://x'), '401 for token *** at http://x');
  });

  it('replaces the base64, URL-encoded and JSON-escaped forms a server may echo', () => {
    registerSecret('p@ss"word/1');
    const base64 = Buffer.from('p@ss"word/1').toString('base64');
    assert.equal(redact(`echoed ${base64} and ${encodeURIComponent('p@ss"word/1')}`), 'echoed *** and ***');
    assert.equal(redact(JSON.stringify({ password: 'p@ss"word/1' })), '{"password":"***"}');
  });

  it('hides the password of a URL with user info, keeping the rest of the URL', () => {
    assert.equal(
      redact('InfluxDBSink[url=http://admin:pa55@127.0.0.1:8086, bucket=b]'),
      'InfluxDBSink[url=http://admin:***@127.0.0.1:8086, bucket=b]',
    );
    assert.equal(redact('"url":"https://u:p%40x@h:1/db"'), '"url":"https://u:***@h:1/db"');
    assert.equal(redact('see http://127.0.0.1:8086/ping'), 'see http://127.0.0.1:8086/ping', 'a port is not user info');
  });

  it('hides the credentials of an Authorization header echoed by a server', () => {
    const basic = Buffer.from('admin:unregistered').toString('base64');
    assert.equal(redact(`400: header "Authorization: Basic ${basic}" rejected`), '400: header "Authorization: Basic ***" rejected');
    assert.equal(redact('{"authorization":"Token abc.def=="}'), '{"authorization":"Token ***"}');
    assert.equal(redact('Proxy-Authorization: Bearer eyJhbGciOi.x.y'), 'Proxy-Authorization: Bearer ***');
  });

  it('replaces only whole values: a one-character secret does not mangle other words', () => {
    registerSecret('x');
    assert.equal(redact('max rows exceeded; password x rejected'), 'max rows exceeded; password *** rejected');
    registerSecret('ab1');
    assert.equal(redact('tab1 ab1 ab12 (ab1)'), 'tab1 *** ab12 (***)');
  });
});

describe('secrets in configuration', () => {
  const job = `name: s
source: { type: rate }
sink: { type: influxdb, url: "\${URL}", org: o, bucket: b, token: "\${TOKEN}", measurement: m }
`;

  it('keeps a token made of digits exactly as written (0042 stays 0042)', () => {
    const cwd = workspace({ 'jobs/s.yaml': job });
    const loaded = loadJob('s', { cwd, env: { TOKEN: '0042', URL: 'http://127.0.0.1:8086' } });
    assert.equal((loaded.sink.options as { token: string }).token, '0042');
    const numeric = loadJob('s', { cwd, env: { TOKEN: '123456', URL: 'http://127.0.0.1:8086' } });
    assert.equal((numeric.sink.options as { token: string }).token, '123456');
  });

  it('explain shows neither the token nor the password of a URL', () => {
    const cwd = workspace({ 'jobs/s.yaml': job });
    const result = spawnSync(process.execPath, [cliPath, 'explain', 's'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, TOKEN: 'tok-51234', URL: 'http://admin:hunter2@127.0.0.1:8086' },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /admin:\*\*\*@127\.0\.0\.1:8086/);
    assert.doesNotMatch(result.stdout + result.stderr, /hunter2|tok-51234/);
  });
});
