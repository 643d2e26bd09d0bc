// The `request.code` of custom-sender events: a code or temporary password as AWS Encryption SDK ciphertext.
//
// Codes Cognito sends are Encryption SDK messages in format version 1 with the non-committing signed suite
// ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384, 4096-byte frames, encryption context
// `{"userpool-id": <pool id>}` and one `aws-kms` data key under the pool's KMSKeyID, base64-encoded
// (real events start `AYADe…`). That is why AWS's examples decrypt with REQUIRE_ENCRYPT_ALLOW_DECRYPT:
// a handler using REQUIRE_ENCRYPT_REQUIRE_DECRYPT fails on AWS, and fails here the same way. The data key
// comes from the local edge's KMS (GenerateDataKey over HTTP), so a handler whose Encryption SDK reaches
// the edge (AWS_ENDPOINT_URL) decrypts it unchanged.
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  KMS,
  KmsKeyringNode,
} from "@aws-crypto/client-node";

/** The encryption-context key Cognito puts the user pool id under. */
export const USER_POOL_CONTEXT_KEY = "userpool-id";

/** The encryption context of a code Cognito encrypts for `userPoolId`'s custom senders. */
export const cognitoCodeContext = (userPoolId: string): Record<string, string> => ({
  [USER_POOL_CONTEXT_KEY]: userPoolId,
});

/** Cognito's message format, which only a client that forbids committing encryption produces. */
const COGNITO_SUITE = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384;
const FRAME_LENGTH = 4096;

const encryptClient = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
const decryptClient = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);

/** The edge checks no signatures, but the SDK will not send unsigned requests. */
const EDGE_CREDENTIALS = { accessKeyId: "cognito-triggers", secretAccessKey: "cognito-triggers" };

const clients = new Map<string, KMS>();

/** One KMS client per edge and Region, reused: each keeps its sockets alive between codes. */
function edgeClient(edgeUrl: string, region: string): KMS {
  const cacheKey = `${edgeUrl} ${region}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new KMS({ endpoint: edgeUrl, region, credentials: EDGE_CREDENTIALS, maxAttempts: 1 });
    clients.set(cacheKey, client);
  }
  return client;
}

/** Closes the cached KMS clients (their idle sockets never hold the process open, but tests tidy up). */
export function closeCodeEncryptionClients(): void {
  for (const client of clients.values()) client.destroy();
  clients.clear();
}

export interface EncryptCodeOptions {
  /** The local edge's base URL, e.g. `http://127.0.0.1:9339`. */
  edgeUrl: string;
  /** The Region of a KMS client when the key id carries none (a bare key id or alias name). */
  region: string;
  /** The pool's LambdaConfig.KMSKeyID: a key ARN (an id or alias resolves in the edge's account). */
  keyId: string;
  /**
   * The code or temporary password. Cognito HTML-escapes temporary passwords (`<` → `&lt;`, `>` → `&gt;`)
   * before encrypting them; that is the caller's to do, since only it knows which one this is.
   */
  plaintext: string;
  /** The Encryption SDK encryption context; Cognito's is `cognitoCodeContext(userPoolId)`. */
  context?: Record<string, string> | undefined;
  /** A KMS client to use instead of one pointed at `edgeUrl` (tests). */
  client?: KMS | undefined;
}

/**
 * Encrypts `plaintext` as Cognito does for a custom sender's `request.code` and returns the base64 text.
 * Calls the edge's KMS over HTTP, so it must never run inside a store transaction (the edge's KMS
 * needs one of its own, and transactions run one at a time).
 */
export async function encryptCode(options: EncryptCodeOptions): Promise<string> {
  const client = options.client ?? edgeClient(options.edgeUrl, options.region);
  const keyring = new KmsKeyringNode({ generatorKeyId: options.keyId, clientProvider: () => client });
  const { result } = await encryptClient.encrypt(keyring, options.plaintext, {
    encryptionContext: options.context ?? {},
    suiteId: COGNITO_SUITE,
    frameLength: FRAME_LENGTH,
  });
  return result.toString("base64");
}

export interface DecryptCodeOptions {
  edgeUrl: string;
  region: string;
  /** The key ARN the code was encrypted under (the KMS keyring only unwraps data keys of the keys it names). */
  keyId: string;
  /** `request.code` as the event carries it (base64). */
  code: string;
  client?: KMS | undefined;
}

/** What a custom-sender handler gets back from `request.code` (for developer tools and tests). */
export async function decryptCode(
  options: DecryptCodeOptions,
): Promise<{ plaintext: string; context: Record<string, string> }> {
  const client = options.client ?? edgeClient(options.edgeUrl, options.region);
  const keyring = new KmsKeyringNode({ keyIds: [options.keyId], clientProvider: () => client });
  const { plaintext, messageHeader } = await decryptClient.decrypt(
    keyring,
    Buffer.from(options.code, "base64"),
  );
  return { plaintext: plaintext.toString("utf8"), context: { ...messageHeader.encryptionContext } };
}
