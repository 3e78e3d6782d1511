/**
 * The function's code: the bundle prebuilt into the installed package, or, inside this repository, a bundle
 * built from `lambda/handler.ts` at synth time with the same esbuild options.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HANDLER_BUNDLE_FILE, handlerBundleOptions } from './handler-bundle.js';

/**
 * Where `npm pack` puts the prebuilt bundle: `dist/lambda-bundle/`, next to this file's compiled `dist/lib/`.
 * From the TypeScript sources (`lib/`) this resolves to a `lambda-bundle/` at the repository root, which does
 * not exist, so the repository always builds from source.
 */
export const PREBUILT_BUNDLE_DIR = fileURLToPath(new URL('../lambda-bundle', import.meta.url));

const LAMBDA_DIR = fileURLToPath(new URL('../lambda', import.meta.url));
const HANDLER_ENTRY = join(LAMBDA_DIR, 'handler.ts');

/** A bundle was needed and neither the prebuilt one nor the sources to build it are there. */
export class HandlerCodeMissingError extends Error {
  public override readonly name = 'HandlerCodeMissingError';
}

/** The code asset of the collector function. */
export function handlerCode(): lambda.Code {
  if (existsSync(join(PREBUILT_BUNDLE_DIR, HANDLER_BUNDLE_FILE))) {
    return lambda.Code.fromAsset(PREBUILT_BUNDLE_DIR);
  }
  if (existsSync(HANDLER_ENTRY)) return sourceBundle();
  throw new HandlerCodeMissingError(
    `the Lambda bundle ${join(PREBUILT_BUNDLE_DIR, HANDLER_BUNDLE_FILE)} is missing: reinstall okta-sumo-collector ` +
      '(the package ships it prebuilt), or run npm pack, which builds it',
  );
}

/**
 * Bundles from source with esbuild's JavaScript API, in this process: no Docker, no lockfile, no `npx`. The
 * asset hash is the output's, so a change anywhere in the bundled code (or a dependency) gives a new asset.
 */
function sourceBundle(): lambda.Code {
  return lambda.Code.fromAsset(LAMBDA_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never pulled: local bundling below always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      local: {
        tryBundle(outputDir: string): boolean {
          // esbuild is a development dependency: loaded only here, where the sources are.
          const esbuild = createRequire(import.meta.url)('esbuild') as {
            buildSync(options: object): unknown;
          };
          esbuild.buildSync(handlerBundleOptions(HANDLER_ENTRY, join(outputDir, HANDLER_BUNDLE_FILE)));
          return true;
        },
      },
    },
  });
}
