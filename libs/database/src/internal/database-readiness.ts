import { Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ReadinessRegistry } from '@kwik/core';
import { DataSource } from 'typeorm';
import { DATABASE_READINESS_CHECK } from '../database.constants.js';

/** Registers the `database` check (`SELECT 1`) with core's `/health/ready` when `KwikModule` is present. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit, OnModuleDestroy {
  private unregister: (() => void) | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() private readonly registry?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.unregister = this.registry?.register({
      name: DATABASE_READINESS_CHECK,
      check: () => this.dataSource.query('SELECT 1'),
    });
  }

  onModuleDestroy(): void {
    this.unregister?.();
    this.unregister = undefined;
  }
}
