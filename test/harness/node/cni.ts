// The pod network: Debian's reference CNI plugins. Every pod gets a veth on the bridge (whose
// gateway address is the node's IP), an address from host-local (state under the node's
// directory, not /var/lib/cni), masquerading for traffic leaving the pod range, and hostPort
// support (portmap). containerd adds the loopback interface itself with the loopback plugin.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { nodeNetwork, nodePaths } from './layout.js';

export function cniConfigList(): object {
  return {
    cniVersion: '1.0.0',
    name: 'lakebench',
    plugins: [
      {
        type: 'bridge',
        bridge: nodeNetwork.bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          dataDir: nodePaths.cniIpamDir,
          ranges: [[{ subnet: nodeNetwork.podSubnet, gateway: nodeNetwork.nodeIp }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

export function writeCniConfig(): void {
  mkdirSync(nodePaths.cniConfDir, { recursive: true });
  writeFileSync(path.join(nodePaths.cniConfDir, '10-lakebench.conflist'), JSON.stringify(cniConfigList(), null, 2));
}
