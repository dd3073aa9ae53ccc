import { ApiError } from '@analytics-engine/http';

/** PUT and PATCH may repeat the key in the body (the flat shape); it must name the same item as the path. */
export function checkBodyKey(field: string, pathKey: string, bodyKey: string | undefined): void {
  if (bodyKey !== undefined && bodyKey !== pathKey) {
    const message = `must equal the ${field} in the path`;
    throw new ApiError(400, 'VALIDATION_FAILED', `body.${field}: ${message}`, [{ path: `body.${field}`, message }]);
  }
}
