import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { AuthModuleOptions } from './auth-options.interface.js';
import { AUTH_MODULE_OPTIONS } from './auth.constants.js';

/** Static extras of `AuthModule.forRoot()` / `forRootAsync()`. */
export interface AuthModuleExtras {
  /** Register globally. @default true */
  isGlobal?: boolean;
  /** Path of the auth routes (`<path>/login`, ...). @default 'auth' */
  path?: string;
}

export const {
  ConfigurableModuleClass: AuthConfigurableModule,
  OPTIONS_TYPE: AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthModuleOptions>({
  moduleName: 'Auth',
  optionsInjectionToken: AUTH_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<AuthModuleExtras>({ isGlobal: true, path: 'auth' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
  }))
  .build();
