// `npm run keys [-- --rotate] [-- --rotate-wallet]`: creates the development keys in MINIPAY_HOME if missing,
// or rotates them, and prints the merchant public key to paste into a wallet's console.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { StackError, importBuilt, messageOf, stackSettings } from './lib/stack.mjs';

const USAGE = `Usage: npm run keys [-- --rotate] [-- --rotate-wallet]

Creates the development keys in MINIPAY_HOME (default .minipay/) if they are missing, and prints the merchant
public key as wallet consoles take it.
  --rotate          a new merchant key pair (the old one is kept as merchant-*.<time>.pem.old)
  --rotate-wallet   a new key pair for the sandbox wallet, with the next keyVersion (the old public key is kept
                    as wallet-public.v<N>.pem, which the merchant server accepts until it is deleted)
  --help            this text`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        rotate: { type: 'boolean' },
        'rotate-wallet': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new StackError(`${error.message}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const { ensureDevHome, rotateWalletKey } = await importBuilt('dev-home');
  const { home } = await stackSettings();

  const rotated = [];
  // The sandbox wallet's key has a version (its `keyVersion`): rotating it retires the current public key as
  // wallet-public.v<N>.pem, which the merchant server still accepts until the file is deleted.
  if (values['rotate-wallet']) {
    const { walletKeyVersion } = await rotateWalletKey(home);
    const old = Number(walletKeyVersion) - 1;
    rotated.push('wallet');
    console.log(
      `rotated the wallet key pair to version ${walletKeyVersion} (version ${old} is kept as wallet-public.v${old}.pem: delete it to stop accepting it)`,
    );
  }
  // The merchant's rotation keeps the old pair beside the new one (renamed with a timestamp), so a wallet that still
  // has the old public key can be switched over without losing the key that signed yesterday's requests.
  if (values.rotate) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    for (const kind of ['private', 'public']) {
      const file = join(home, `merchant-${kind}.pem`);
      if (existsSync(file)) renameSync(file, join(home, `merchant-${kind}.${stamp}.pem.old`));
    }
    rotated.push('merchant');
    console.log(`rotated the merchant key pair (the old one is kept as merchant-*.${stamp}.pem.old)`);
  }

  const dev = await ensureDevHome(home);
  // A rotation makes new pairs on purpose; any other new pair replaces a key that was deleted.
  const unexpected = dev.notices.filter((notice) => !rotated.some((owner) => notice.includes(`${owner}-private.pem`)));
  for (const notice of unexpected) console.log(`npm run keys: ${notice}\n`);
  const bareBase64 = dev.merchantPublicKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  console.log(`keys in ${dev.home}
  client id             ${dev.clientId}
  merchant private key  ${dev.paths.merchantPrivateKey}   (never share; never put it in the mini program)
  merchant public key   ${dev.paths.merchantPublicKey}
  wallet public key     ${dev.paths.walletPublicKey}      (the sandbox wallet's; a real wallet's console gives you its own)

Merchant public key, as wallet consoles take it (Base64, one line):
${bareBase64}
`);
  if (rotated.length > 0) {
    console.log('Restart `npm start` so the wallet sandbox and the merchant server use the new keys.');
  }
}

main().catch((error) => {
  console.error(`npm run keys: ${messageOf(error)}`);
  process.exitCode = 1;
});
