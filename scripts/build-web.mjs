// Bundles the web UI (src/web) into dist/web with fingerprinted file names. Filled in by the web UI work.
console.log('build-web: no web UI yet');
