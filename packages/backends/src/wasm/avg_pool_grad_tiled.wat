;; AvgPoolGrad where the windows tile the input (stride = window, no padding), dy rows [r0, r1)
;; (a row: one image's output row oy):
;;   dx[b, oy*fh + ky, ox*fw + kx, j] = dy[b, oy, ox, j] * scale
;; Builds dx's first row of each window row, then copies it down fh - 1 times. Rows and columns
;; past oh*fh and ow*fw (an odd input) are not written: the caller zeroes them.
;; Regenerate avg_pool_grad_tiled_wasm.ts after editing: pnpm --filter @convnets/backends gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "avgPoolGradTiled")
    (param $dy i32) (param $dx i32) (param $r0 i32) (param $r1 i32) (param $oh i32) (param $ow i32) (param $c i32)
    (param $fh i32) (param $fw i32) (param $h i32) (param $w i32) (param $scale f32)
    (local $r i32) (local $b i32) (local $oy i32) (local $ox i32) (local $kx i32) (local $ky i32) (local $j i32)
    (local $g i32) (local $q i32) (local $p i32) (local $first i32) (local $dst i32) (local $rowBytes i32) (local $vecEnd i32) (local $i i32)
    (local $s v128)
    (local.set $s (f32x4.splat (local.get $scale)))
    (local.set $rowBytes (i32.shl (i32.mul (i32.mul (local.get $ow) (local.get $fw)) (local.get $c)) (i32.const 2)))
    (local.set $vecEnd (i32.and (local.get $rowBytes) (i32.const -16)))
    (local.set $r (local.get $r0))
    (block $r_done (loop $rl
      (br_if $r_done (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $b (i32.div_u (local.get $r) (local.get $oh)))
      (local.set $oy (i32.rem_u (local.get $r) (local.get $oh)))
      (local.set $g (i32.add (local.get $dy) (i32.shl (i32.mul (i32.mul (local.get $r) (local.get $ow)) (local.get $c)) (i32.const 2))))
      (local.set $first (i32.add (local.get $dx) (i32.shl (i32.mul (i32.mul
        (i32.add (i32.mul (local.get $b) (local.get $h)) (i32.mul (local.get $oy) (local.get $fh))) (local.get $w)) (local.get $c)) (i32.const 2))))
      ;; the first row: each dy pixel's channels, scaled, fw times
      (local.set $p (local.get $first))
      (local.set $ox (i32.const 0))
      (block $ox_done (loop $oxl
        (br_if $ox_done (i32.ge_u (local.get $ox) (local.get $ow)))
        (local.set $kx (i32.const 0))
        (block $kx_done (loop $kxl
          (br_if $kx_done (i32.ge_u (local.get $kx) (local.get $fw)))
          (local.set $q (local.get $g))
          (local.set $j (i32.const 0))
          (block $v_done (loop $vl
            (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $c)))
            (v128.store (local.get $p) (f32x4.mul (v128.load (local.get $q)) (local.get $s)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vl)))
          (block $j_done (loop $jl
            (br_if $j_done (i32.ge_u (local.get $j) (local.get $c)))
            (f32.store (local.get $p) (f32.mul (f32.load (local.get $q)) (local.get $scale)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $jl)))
          (local.set $kx (i32.add (local.get $kx) (i32.const 1)))
          (br $kxl)))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $c) (i32.const 2))))
        (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
        (br $oxl)))
      ;; the same row under it, fh - 1 times
      (local.set $ky (i32.const 1))
      (block $ky_done (loop $kyl
        (br_if $ky_done (i32.ge_u (local.get $ky) (local.get $fh)))
        (local.set $dst (i32.add (local.get $first) (i32.shl (i32.mul (i32.mul (local.get $ky) (local.get $w)) (local.get $c)) (i32.const 2))))
        (local.set $i (i32.const 0))
        (block $c_done (loop $cl
          (br_if $c_done (i32.ge_u (local.get $i) (local.get $vecEnd)))
          (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $first) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br $cl)))
        (block $t_done (loop $tl
          (br_if $t_done (i32.ge_u (local.get $i) (local.get $rowBytes)))
          (f32.store (i32.add (local.get $dst) (local.get $i)) (f32.load (i32.add (local.get $first) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $tl)))
        (local.set $ky (i32.add (local.get $ky) (i32.const 1)))
        (br $kyl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))))
