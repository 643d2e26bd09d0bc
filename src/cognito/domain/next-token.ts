// Pagination tokens of the admin listings: the store's opaque cursors, with a foreign token refused as Cognito refuses it.

import { InvalidCursor } from "../../store/errors.js";
import type { Page } from "../../store/port.js";
import { invalidParameter } from "../errors.js";

/** Cognito's largest page, and what a listing returns when the caller names no (or a zero) limit. */
export const MAX_PAGE = 60;

export const pageSize = (limit: number | undefined): number =>
  limit === undefined || limit === 0 ? MAX_PAGE : limit;

/**
 * Runs a store listing from `token`; a token no listing of this server produced (or one of another
 * listing) is InvalidParameterException, worded as Cognito words an unusable paging marker.
 */
export async function listPage<T>(
  token: string | undefined,
  requestId: string,
  list: (after: string | undefined) => Promise<Page<T>>,
): Promise<Page<T>> {
  try {
    return await list(token);
  } catch (error) {
    if (error instanceof InvalidCursor)
      throw invalidParameter(`Paging marker ${token} is invalid for request ${requestId}`);
    throw error;
  }
}
