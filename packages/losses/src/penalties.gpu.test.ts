/** The penalty gradient checks on WebGPU (Dawn; in CI the software adapter SwiftShader). */
import { useBackend } from '@gankit/backends';
import { webgpuUnderTest } from '@gankit/test-utils';
import { describePenaltyGradients } from './penalties.fixture.js';

describePenaltyGradients(await webgpuUnderTest(useBackend));
