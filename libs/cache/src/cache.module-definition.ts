import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CACHE_MODULE_OPTIONS } from './cache.constants.js';
import type { CacheModuleOptions } from './cache-options.interface.js';

/** Static extras of `CacheModule.forRoot()` / `forRootAsync()`. */
export interface CacheModuleExtras {
  /** Register globally (so `@Cache()` works in every module). @default true */
  isGlobal?: boolean;
}

export const {
  ConfigurableModuleClass: CacheConfigurableModule,
  OPTIONS_TYPE: CACHE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CACHE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CacheModuleOptions>({
  moduleName: 'Cache',
  optionsInjectionToken: CACHE_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createCacheOptions')
  .setExtras<CacheModuleExtras>({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
