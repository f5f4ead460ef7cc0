#!/usr/bin/env node
// Launcher: Node 20 cannot run TypeScript itself, so register tsx's loader and hand over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/index.ts');
const code = await main(process.argv.slice(2));
// `serve` keeps running on its own handles; every other command ends here.
if (process.argv[2] !== 'serve' || code !== 0) process.exit(code);
