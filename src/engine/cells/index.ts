// One place that maps a cell type to its layer class.
import type { Backend } from '../backend.ts';
import type { CellType } from '../config.ts';
import { GruLayer } from './gru.ts';
import type { LayerParams, RecurrentLayer } from './layer.ts';
import { LstmLayer } from './lstm.ts';
import { CoupledLstmLayer, NoForgetLstmLayer, PeepholeLstmLayer } from './lstm-variants.ts';
import { RnnLayer } from './rnn.ts';

const LAYERS = {
  lstm: LstmLayer,
  gru: GruLayer,
  rnn: RnnLayer,
  'lstm-peephole': PeepholeLstmLayer,
  'lstm-coupled': CoupledLstmLayer,
  'lstm-no-forget': NoForgetLstmLayer,
} satisfies Record<CellType, new (D: number, H: number, p: LayerParams, backend: Backend) => RecurrentLayer>;

export function createLayer(cell: CellType, D: number, H: number, p: LayerParams, backend: Backend): RecurrentLayer {
  if (cell === 'lstm-peephole' && !p.peephole) throw new Error('lstm-peephole layer needs peephole weights');
  return new LAYERS[cell](D, H, p, backend);
}
