import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { TenantModuleOptions } from './tenant-options.interface.js';
import { TENANT_MODULE_OPTIONS } from './tenant.constants.js';

/** Static extras of `TenantModule.forRoot()` / `forRootAsync()`. */
export interface TenantModuleExtras {
  /** Register globally. @default true */
  isGlobal?: boolean;
  /** Path of the tenant admin endpoints, or `false` to leave them out. @default 'tenants' */
  adminPath?: string | false;
}

export const {
  ConfigurableModuleClass: TenantConfigurableModule,
  OPTIONS_TYPE: TENANT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: TENANT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<TenantModuleOptions>({
  moduleName: 'Tenant',
  optionsInjectionToken: TENANT_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<TenantModuleExtras>({ isGlobal: true, adminPath: 'tenants' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
