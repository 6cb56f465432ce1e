// One definition, in core: a validated query is frozen there too (`validatedQuerySchema`).
export { deepFreeze } from '@inlay/core';
