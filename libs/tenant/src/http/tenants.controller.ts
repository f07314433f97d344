import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantOptional } from '@kwik/core';
import { tenantNotFound } from '../tenant.problems.js';
import { TenantRegistry } from '../registry/tenant-registry.service.js';
import { TenantSettings, type EffectiveTenantSettings } from '../registry/tenant-settings.service.js';
import type { TenantRecord } from '../resolution/tenant-record.js';
import { CreateTenantDto, UpdateTenantDto } from './tenant.dto.js';
import { TenantAdminGuard } from './tenant-admin.guard.js';

/** A tenant as the admin endpoints show it: its row and its effective settings. */
export interface TenantView extends Omit<TenantRecord, 'settings'> {
  settings: { overrides: TenantRecord['settings']; effective: EffectiveTenantSettings };
}

/** The tenant admin endpoints (`/tenants`); mounted under `admin.path`. */
@ApiTags('tenants')
@TenantOptional()
@UseGuards(TenantAdminGuard)
@Controller()
export class TenantsController {
  constructor(
    private readonly registry: TenantRegistry,
    private readonly settings: TenantSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every organization' })
  async list(): Promise<{ data: TenantView[] }> {
    return { data: (await this.registry.list()).map((t) => this.view(t)) };
  }

  @Post()
  @ApiOperation({ summary: 'Provision an organization (its schema too, with the schema strategy)' })
  async create(
    @Body() dto: CreateTenantDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TenantView> {
    const tenant = await this.registry.provision(dto);
    void reply
      .status(201)
      .header('location', `${reply.request.url.split('?')[0]!.replace(/\/+$/, '')}/${tenant.slug}`);
    return this.view(tenant);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'One organization' })
  async get(@Param('slug') slug: string): Promise<TenantView> {
    const tenant = await this.registry.get(slug);
    if (!tenant) throw tenantNotFound(`"${slug}"`);
    return this.view(tenant);
  }

  @Patch(':slug')
  @ApiOperation({ summary: 'Rename, change plan, suspend / reactivate, override settings' })
  async update(@Param('slug') slug: string, @Body() dto: UpdateTenantDto): Promise<TenantView> {
    return this.view(await this.registry.update(slug, dto));
  }

  @Delete(':slug')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deprovision an organization and its data' })
  async remove(@Param('slug') slug: string): Promise<void> {
    await this.registry.deprovision(slug);
  }

  private view(tenant: TenantRecord): TenantView {
    return {
      ...tenant,
      settings: { overrides: tenant.settings, effective: this.settings.effective(tenant) },
    };
  }
}
