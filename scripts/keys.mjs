// `npm run keys [-- --rotate] [-- --rotate-wallet]`: creates the development keys in MINIPAY_HOME if missing,
// or rotates them, and prints the merchant public key to paste into a wallet's console.
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importBuilt, stackSettings } from './lib/stack.mjs';

const { values } = parseArgs({ options: { rotate: { type: 'boolean' }, 'rotate-wallet': { type: 'boolean' } } });

const { ensureDevHome, rotateWalletKey } = await importBuilt('dev-home');
const { home } = await stackSettings();

// Rotation keeps the old pair beside the new one (renamed with a timestamp), so a wallet that still has the
// old public key can be switched over without losing the key that signed yesterday's requests.
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
// The sandbox wallet's key has a version (its `keyVersion`): rotating it retires the current public key as
// wallet-public.v<N>.pem, which the merchant server still accepts until the file is deleted.
if (values['rotate-wallet']) {
  const rotated = await rotateWalletKey(home);
  const old = Number(rotated.walletKeyVersion) - 1;
  console.log(
    `rotated the wallet key pair to version ${rotated.walletKeyVersion} (version ${old} is kept as wallet-public.v${old}.pem: delete it to stop accepting it)`,
  );
}
for (const [flag, owner] of [[values.rotate, 'merchant']]) {
  if (!flag) continue;
  for (const kind of ['private', 'public']) {
    const file = join(home, `${owner}-${kind}.pem`);
    if (existsSync(file)) renameSync(file, join(home, `${owner}-${kind}.${stamp}.pem.old`));
  }
  console.log(`rotated the ${owner} key pair (the old one is kept as ${owner}-*.${stamp}.pem.old)`);
}

const dev = await ensureDevHome(home);
const bareBase64 = dev.merchantPublicKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
console.log(`keys in ${dev.home}
  client id             ${dev.clientId}
  merchant private key  ${dev.paths.merchantPrivateKey}   (never share; never put it in the mini program)
  merchant public key   ${dev.paths.merchantPublicKey}
  wallet public key     ${dev.paths.walletPublicKey}      (the sandbox wallet's; a real wallet's console gives you its own)

Merchant public key, as wallet consoles take it (Base64, one line):
${bareBase64}
`);
if (values.rotate || values['rotate-wallet']) {
  console.log('Restart `npm start` so the wallet sandbox and the merchant server use the new keys.');
}
