#!/usr/bin/env node
/**
 * Migrations CLI: `node libs/database/dist/cli.js <generate|run|revert> --data-source <module.js> [--name X] [--dir D]`.
 * See `runCli()` and the package README.
 */
import 'reflect-metadata';
import { runCli } from './migrations/cli-runner.js';

process.exitCode = await runCli(process.argv.slice(2));
