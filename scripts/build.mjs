// Builds dist/ with esbuild: CommonJS (dist/cjs, one file per source file, so
// every entry point shares one copy of the engine's state) and ESM (dist/esm,
// bundled with code splitting for the same reason), then type declarations
// (dist/types) with tsc.
// In CommonJS, src/context/ (stateless: the manager and its binding helpers) is
// one file, dist/cjs/context/index.js, which requires the engine's files from
// dist/cjs/hooks/: the manager entry loads 7 files fewer (bench/footprint).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// register has an ES module twin of its own (register-esm.mts: it also registers the loader hook).
const entries = [
  { in: 'src/index.ts', out: 'index' },
  { in: 'src/context/index.ts', out: 'context/index' },
  { in: 'src/hooks/index.ts', out: 'hooks/index' },
  { in: 'src/register-esm.mts', out: 'register' },
].filter((e) => existsSync(e.in));
const common = { platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

rmSync('dist/cjs', { recursive: true, force: true });
rmSync('dist/esm', { recursive: true, force: true });
const bundledFolder = resolve('src/context');
await build({ ...common, entryPoints: sources('src').filter((f) => !resolve(f).startsWith(bundledFolder + sep)), outbase: 'src', outdir: 'dist/cjs', format: 'cjs' });
await build({
  ...common,
  entryPoints: ['src/context/index.ts'],
  outfile: 'dist/cjs/context/index.js',
  format: 'cjs',
  bundle: true,
  packages: 'external',
  plugins: [{
    // Files outside src/context/ stay separate modules (one copy of the engine's state),
    // required by the same relative path, which dist/cjs mirrors.
    name: 'other-folders-external',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const target = resolve(args.resolveDir, args.path);
        if (target.startsWith(bundledFolder + sep)) return undefined;
        const fromOut = relative(bundledFolder, target).split(sep).join('/');
        return { path: fromOut.startsWith('.') ? fromOut : `./${fromOut}`, external: true };
      });
    },
  }],
});
await build({
  ...common,
  entryPoints: entries,
  outbase: 'src',
  outdir: 'dist/esm',
  format: 'esm',
  bundle: true,
  splitting: true,
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // The sources load some packages on demand with require() (the instrumentations
  // start() turns on, the exporter of the chosen protocol): in the ES module build,
  // require is made from the file's URL.
  banner: { js: "import { createRequire as __otelCreateRequire } from 'node:module';\nconst require = __otelCreateRequire(import.meta.url);" },
});
if (process.argv.includes('--no-types')) {
  console.log('built dist/cjs and dist/esm');
} else {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  console.log('built dist/cjs, dist/esm and dist/types');
}
