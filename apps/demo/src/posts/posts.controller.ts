import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateCommentDto,
  CreatePostDto,
  ListPostsQuery,
  PostIdParams,
  UpdatePostDto,
} from './dto/post.dto.js';
import { toCommentView, toPostView, type PostView } from './post.view.js';
import { PostsService } from './posts.service.js';

function linkHeader(
  request: FastifyRequest,
  query: ListPostsQuery,
  next: string | null,
  prev: string | null,
): string {
  const base = request.url.split('?')[0];
  const url = (extra: Record<string, string>): string => {
    const params = new URLSearchParams({ limit: String(query.limit), ...extra });
    return `<${base}?${params.toString()}>`;
  };
  const links = [`${url({})}; rel="first"`];
  if (next) links.push(`${url({ after: next })}; rel="next"`);
  if (prev) links.push(`${url({ before: prev })}; rel="prev"`);
  return links.join(', ');
}

@ApiTags('posts')
@Controller('api/posts')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get()
  @ApiOkResponse({
    description: '`{ data: Post[], meta: { limit, nextCursor, prevCursor, total? } }`, RFC 8288 Link',
  })
  async list(
    @Query() query: ListPostsQuery,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ data: PostView[]; meta: Record<string, unknown> }> {
    const page = await this.posts.list(query);
    reply.header('link', linkHeader(request, query, page.meta.nextCursor, page.meta.prevCursor));
    if (page.meta.total !== undefined) reply.header('x-total-count', String(page.meta.total));
    return { data: page.data.map(toPostView), meta: page.meta };
  }

  @Get(':id')
  async get(@Param() { id }: PostIdParams): Promise<PostView> {
    return toPostView(await this.posts.get(id));
  }

  @Post()
  @ApiCreatedResponse({ description: 'The created post; `Location` points at it' })
  async create(
    @Body() dto: CreatePostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PostView> {
    const post = await this.posts.create(dto);
    reply.header('location', `/api/posts/${post.id}`);
    return toPostView(post);
  }

  @Patch(':id')
  async update(@Param() { id }: PostIdParams, @Body() dto: UpdatePostDto): Promise<PostView> {
    return toPostView(await this.posts.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param() { id }: PostIdParams): Promise<void> {
    await this.posts.remove(id);
  }

  @Get(':id/comments')
  async comments(@Param() { id }: PostIdParams): Promise<{ data: Record<string, unknown>[] }> {
    return { data: (await this.posts.listComments(id)).map(toCommentView) };
  }

  @Post(':id/comments')
  async addComment(
    @Param() { id }: PostIdParams,
    @Body() dto: CreateCommentDto,
  ): Promise<Record<string, unknown>> {
    return toCommentView(await this.posts.addComment(id, dto));
  }
}
