#!/usr/bin/env node
// The `hookchain` command: the CLI is TypeScript run through tsx, like the rest of the repo, so
// there is no build step between editing it and running it.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
