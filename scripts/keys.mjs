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
  --rotate-wallet   a new key pair for the sandbox wallet
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

  const { ensureDevHome } = await importBuilt('dev-home');
  const { home } = await stackSettings();

  // Rotation keeps the old pair beside the new one (renamed with a timestamp), so a wallet that still has the
  // old public key can be switched over without losing the key that signed yesterday's requests.
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const rotated = [];
  for (const [flag, owner] of [
    [values.rotate, 'merchant'],
    [values['rotate-wallet'], 'wallet'],
  ]) {
    if (!flag) continue;
    for (const kind of ['private', 'public']) {
      const file = join(home, `${owner}-${kind}.pem`);
      if (existsSync(file)) renameSync(file, join(home, `${owner}-${kind}.${stamp}.pem.old`));
    }
    rotated.push(owner);
    console.log(`rotated the ${owner} key pair (the old one is kept as ${owner}-*.${stamp}.pem.old)`);
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
