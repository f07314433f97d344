import { DataSource, type DataSourceOptions } from 'typeorm';
import { describeConnectFailure } from './internal/connect-failure.js';

/** Key under which prepared options carry what must be released after the pool is closed (embedded PGlite). */
export const RELEASE_AFTER_DESTROY: unique symbol = Symbol('kwik:database:releaseAfterDestroy');

/** Data-source options that may own a resource to release once the data source is destroyed. */
export type OwningDataSourceOptions = DataSourceOptions & { [RELEASE_AFTER_DESTROY]?: () => Promise<void> };

/**
 * The TypeORM `DataSource` Kwik creates. It behaves exactly like a `DataSource`; in embedded mode it
 * also owns the PGlite instance and closes it right after `destroy()` has ended the pool — whoever
 * destroys it (Nest's TypeORM module on shutdown, the migrations CLI, a test). Without that close the
 * process would linger about 10 s.
 *
 * @example
 * const ds = await createDataSource({ embedded: { inMemory: true }, entities: [Note] });
 * try { ... } finally { await ds.destroy(); } // also closes PGlite
 */
export class KwikDataSource extends DataSource {
  private release: (() => Promise<void>) | undefined;

  constructor(options: OwningDataSourceOptions) {
    super(options);
    this.release = options[RELEASE_AFTER_DESTROY];
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      await this.releaseOwned();
    }
  }

  /**
   * Initialises, releasing the embedded engine when that fails (nobody would destroy it). A server
   * that cannot be reached, a missing database or refused credentials become a DatabaseError
   * (`KWIK_DATABASE_UNREACHABLE` / `_NOT_FOUND` / `_AUTH_FAILED`) that says what to fix.
   */
  async initializeOrRelease(): Promise<this> {
    try {
      return await this.initialize();
    } catch (error) {
      await this.releaseOwned();
      const url =
        'url' in this.options && typeof this.options.url === 'string' ? this.options.url : undefined;
      throw describeConnectFailure(error, url);
    }
  }

  private async releaseOwned(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    await release?.();
  }
}
