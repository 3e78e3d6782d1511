/** Lets go of a response body we will not read, so its connection is freed (undici keeps it busy otherwise). */
export async function discardBody(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to free.
  }
}
