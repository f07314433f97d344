#!/usr/bin/env node
/**
 * Tenant-schema CLI (schema strategy): `node libs/tenant/dist/cli.js <migrate|status> --data-source <module.js> [--concurrency N]`.
 * See `runTenantCli()` and the package README.
 */
import 'reflect-metadata';
import { runTenantCli } from './cli/tenant-cli.js';

process.exitCode = await runTenantCli(process.argv.slice(2));
