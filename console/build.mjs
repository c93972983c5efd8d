// Bundles the console into OUTDIR (argument): one hashed script, one hashed stylesheet, a
// hashed icon and an index.html that names them. Hashed names let tollgate serve the assets as immutable;
// index.html is the only file a browser must revalidate.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(process.argv[2] ?? path.join(here, 'dist'));

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const result = await esbuild.build({
  entryPoints: [path.join(here, 'src/main.jsx')],
  outdir,
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome109', 'firefox115', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((name) => name.endsWith('.js'));
const stylesheet = outputs.find((name) => name.endsWith('.css'));
if (!script || !stylesheet) throw new Error(`console build: missing script or stylesheet in ${outputs}`);

// The icon is not imported by any module, so it is named by its digest here.
const icon = await readFile(path.join(here, 'src/favicon.svg'));
const iconName = `favicon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
await writeFile(path.join(outdir, iconName), icon);

const template = await readFile(path.join(here, 'index.html'), 'utf8');
await writeFile(
  path.join(outdir, 'index.html'),
  template
    .replace('%SCRIPT%', `/ui/${script}`)
    .replace('%STYLESHEET%', `/ui/${stylesheet}`)
    .replace('%ICON%', `/ui/${iconName}`),
);
