#!/usr/bin/env node
// The admin CLI: TypeScript sources run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/runtime/node/cli.ts');
