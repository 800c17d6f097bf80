import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface StaticFile {
  type: string;
  body: Buffer;
}

/**
 * The UI's files, read once at start into a fixed table: the page (the package's `ui/` folder) and the chart library
 * (uPlot, from node_modules, served from here and never from a CDN). A request can only ever get one of these:
 * no path from a URL reaches the file system.
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const uiDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'ui');
  for (const name of readdirSync(uiDir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/ui/${name}`, { type, body: readFileSync(join(uiDir, name)) });
  }
  const index = files.get('/ui/index.html');
  if (index) files.set('/', index);
  const require = createRequire(import.meta.url);
  for (const name of ['uPlot.iife.min.js', 'uPlot.min.css']) {
    const path = require.resolve(`uplot/dist/${name}`);
    files.set(`/vendor/${name}`, { type: TYPES[extname(name)], body: readFileSync(path) });
  }
  return files;
}
