// Turns Ajv's errors into one sentence that names the field the way a JavaScript caller writes it:
// `/items/0/quantity` + `must be <= 99` → `items[0].quantity must be <= 99`.

export interface AjvLikeError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export function fieldPath(instancePath: string, root: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let path = root;
  for (const segment of segments) {
    path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

export function validationMessage(errors: readonly AjvLikeError[], context: string): string {
  const first = errors[0];
  if (first === undefined) return `the request ${context} is invalid`;
  const root = context === 'body' ? '' : context;
  const path = fieldPath(first.instancePath, root);
  const name = (child: string): string => (path === '' ? child : `${path}.${child}`);
  switch (first.keyword) {
    case 'required':
      return `${name(String(first.params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${name(String(first.params.additionalProperty))} is not allowed`;
    case 'type':
      return `${path === '' ? `the request ${context}` : path} must be ${articled(String(first.params.type))}`;
    default:
      return `${path === '' ? `the request ${context}` : path} ${first.message ?? 'is invalid'}`;
  }
}

function articled(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
