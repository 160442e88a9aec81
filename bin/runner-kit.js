#!/usr/bin/env node
// The `runner-kit` command (package.json "bin"). Runs the TypeScript sources directly through
// tsx's CommonJS loader, so there is no build step; works from any working directory because
// the paths below are relative to this file.
'use strict';

require('tsx/cjs/api').register();
require('../cli/runner-kit.ts').runProcess();
