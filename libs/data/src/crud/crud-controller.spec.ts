import { SetMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { CreateTaskDto, Task, UpdateTaskDto } from '../../test/fixtures/crud-entities.js';
import { defineShape } from '../shape/define-shape.js';
import { CrudController } from './crud-controller.js';
import { CrudError } from './crud.errors.js';

const shape = defineShape(Task, {
  name: 'tasks',
  fields: ['id', 'title'],
  sort: ['title'],
  defaultSort: 'title',
});

function buildWithUnknownOperation(): unknown {
  return CrudController({
    entity: Task,
    shape,
    create: CreateTaskDto,
    update: UpdateTaskDto,
    decorators: { lists: [SetMetadata('x', 1)] } as never,
  });
}

describe('CrudController({ decorators })', () => {
  it('applies the extra decorators to their routes only, after the route decorators', () => {
    const Resource = CrudController({
      entity: Task,
      shape,
      create: CreateTaskDto,
      update: UpdateTaskDto,
      decorators: {
        list: [SetMetadata('test:marker', 'list')],
        update: [SetMetadata('test:marker', 'update')],
      },
    });
    const proto = Resource.prototype as unknown as Record<string, Function>;
    expect(Reflect.getMetadata('test:marker', proto.list!)).toBe('list');
    expect(Reflect.getMetadata('test:marker', proto.update!)).toBe('update');
    expect(Reflect.getMetadata('test:marker', proto.get!)).toBeUndefined();
    expect(Reflect.getMetadata('path', proto.list!)).toBe('/');
  });

  it('refuses decorators for an operation that does not exist', () => {
    expect(buildWithUnknownOperation).toThrow(CrudError);
    expect(buildWithUnknownOperation).toThrow(
      /decorators names lists; the operations are list, get, create, update, delete, bulk/,
    );
  });
});
