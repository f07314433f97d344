import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ConfigClass } from './config/load-config.js';
import type { KwikModuleOptions } from './kwik-options.interface.js';

/** Static extras of `KwikModule.forRoot()` / `forRootAsync()` (known before options resolve). */
export interface KwikModuleExtras {
  /** Register the module globally. @default true */
  isGlobal?: boolean;
  /**
   * Your config class (extends `KwikConfig`), validated at boot from the environment (and `envFile`) and
   * injectable by its class and as `KwikConfig` — also inside `forRootAsync`'s factories.
   * @default KwikConfig
   */
  config?: ConfigClass;
  /**
   * A `.env` file read (when it exists, relative to the working directory) beneath the real
   * environment, which always wins; `false` reads none.
   * @default '.env'
   */
  envFile?: string | false;
}

export const {
  ConfigurableModuleClass: KwikConfigurableModule,
  MODULE_OPTIONS_TOKEN: KWIK_MODULE_OPTIONS,
  OPTIONS_TYPE: KWIK_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: KWIK_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<KwikModuleOptions>({ moduleName: 'Kwik' })
  .setClassMethodName('forRoot')
  .setExtras<KwikModuleExtras>(
    { isGlobal: true, config: undefined, envFile: '.env' },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal ?? true,
    }),
  )
  .build();
