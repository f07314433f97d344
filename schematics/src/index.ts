export { kwikResource, type KwikResourceOptions } from './kwik-resource/kwik-resource.factory.js';
export {
  DEFAULT_FIELDS,
  FIELD_MODIFIERS,
  FIELD_TYPES,
  parseFields,
  type FieldModifier,
  type FieldSpec,
  type FieldType,
} from './kwik-resource/fields.js';
export { application, type ApplicationOptions } from './application/application.factory.js';
