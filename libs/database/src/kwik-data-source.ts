import { DataSource, type DataSourceOptions } from 'typeorm';

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

  /** Initialises, releasing the embedded engine when that fails (nobody would destroy it). */
  async initializeOrRelease(): Promise<this> {
    try {
      return await this.initialize();
    } catch (error) {
      await this.releaseOwned();
      throw error;
    }
  }

  private async releaseOwned(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    await release?.();
  }
}
