import { IsString } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { KwikError } from '../errors/kwik.error.js';
import { EnvBoolean } from './env-transforms.js';
import { KwikConfig } from './kwik-config.js';
import { loadConfig } from './load-config.js';
import { IsBoolean } from 'class-validator';

class AppConfig extends KwikConfig {
  @IsString({ message: 'is required (the Stripe secret key)' })
  STRIPE_KEY!: string;

  @EnvBoolean()
  @IsBoolean({ message: 'must be true or false' })
  FEATURE_X = false;
}

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig(AppConfig, { STRIPE_KEY: 'sk', PORT: '8080', FEATURE_X: 'yes' });
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      FEATURE_X: true,
      STRIPE_KEY: 'sk',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('ignores variables the class does not declare', () => {
    expect(loadConfig(KwikConfig, { PATH: '/bin', PORT: '1' })).not.toHaveProperty('PATH');
  });

  it('reports every problem at once in one message', () => {
    const env = { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', FEATURE_X: 'maybe' };
    let error: unknown;
    try {
      loadConfig(AppConfig, env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KwikError);
    const { code, message } = error as KwikError;
    expect(code).toBe('KWIK_CONFIG_INVALID');
    expect(message).toContain('5 environment variables to fix');
    expect(message).toContain('PORT: must be an integer between 0 and 65535 (got "eighty")');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (got "mysql://x")');
    expect(message).toContain('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent');
    expect(message).toContain('STRIPE_KEY: is required (the Stripe secret key) (it is not set)');
    expect(message).toContain('FEATURE_X: must be true or false (got "maybe")');
  });
});
