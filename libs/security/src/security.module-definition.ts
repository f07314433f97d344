import { ConfigurableModuleBuilder, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { SECURITY_MODULE_OPTIONS } from './security.constants.js';
import type { SecurityModuleOptions } from './security-options.interface.js';

/** Static extras of `SecurityModule.forRoot()` / `forRootAsync()` (known before options resolve). */
export interface SecurityModuleExtras {
  /** Register globally. @default true */
  isGlobal?: boolean;
  /**
   * Your subclass of {@link RateLimitGuard}, installed as the global rate-limit guard instead of
   * Kwik's (to change `getTracker`, `getRoute`, ...).
   * @default RateLimitGuard
   */
  rateLimitGuard?: Type<RateLimitGuard>;
}

export const {
  ConfigurableModuleClass: SecurityConfigurableModule,
  OPTIONS_TYPE: SECURITY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SECURITY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SecurityModuleOptions>({
  moduleName: 'Security',
  optionsInjectionToken: SECURITY_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras<SecurityModuleExtras>({ isGlobal: true, rateLimitGuard: undefined }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal ?? true,
    providers: [
      ...(definition.providers ?? []),
      { provide: APP_GUARD, useClass: extras.rateLimitGuard ?? RateLimitGuard },
    ],
  }))
  .build();
