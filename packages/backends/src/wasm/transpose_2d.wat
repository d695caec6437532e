;; out[j, i] = in[i, j] for a float32 matrix of rows x cols, in 4x4 blocks (four 4-float rows
;; shuffled into four 4-float columns) swept across 64-column bands so that the rows being
;; read and the rows being written both stay in cache. Edges that are not whole blocks are
;; copied one value at a time.
;; Regenerate transpose_2d_wasm.ts after editing: pnpm --filter @convnets/core gen:wasm
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func $one (param $in i32) (param $out i32) (param $rows i32) (param $cols i32) (param $i i32) (param $j i32)
    (f32.store
      (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
      (f32.load (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2))))))
  (func (export "transpose2d") (param $in i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $j0 i32) (local $jEnd i32) (local $rows4 i32) (local $cols4 i32)
    (local $p i32) (local $q i32) (local $rb i32) (local $cb i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $rb (i32.shl (local.get $rows) (i32.const 2)))
    (local.set $cb (i32.shl (local.get $cols) (i32.const 2)))
    ;; whole 4x4 blocks, 64 columns at a time
    (block $bands_done (loop $bands
      (br_if $bands_done (i32.ge_u (local.get $j0) (local.get $cols4)))
      (local.set $jEnd (select (i32.add (local.get $j0) (i32.const 64)) (local.get $cols4)
        (i32.lt_u (i32.add (local.get $j0) (i32.const 64)) (local.get $cols4))))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rowsl
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows4)))
        (local.set $j (local.get $j0))
        (block $cols_done (loop $colsl
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $jEnd)))
          (local.set $p (i32.add (local.get $in) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2))))
          (local.set $a (v128.load (local.get $p)))
          (local.set $b (v128.load (i32.add (local.get $p) (local.get $cb))))
          (local.set $c (v128.load (i32.add (local.get $p) (i32.shl (local.get $cb) (i32.const 1)))))
          (local.set $d (v128.load (i32.add (local.get $p) (i32.mul (local.get $cb) (i32.const 3)))))
          ;; t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d)))
          (local.set $q (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2))))
          (v128.store (local.get $q) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $q) (local.get $rb)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $q) (i32.shl (local.get $rb) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (v128.store (i32.add (local.get $q) (i32.mul (local.get $rb) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $colsl)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rowsl)))
      (local.set $j0 (local.get $jEnd))
      (br $bands)))
    ;; the last rows % 4 rows, every column
    (local.set $i (local.get $rows4))
    (block $r_done (loop $r
      (br_if $r_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $c_done (loop $c
        (br_if $c_done (i32.ge_u (local.get $j) (local.get $cols)))
        (call $one (local.get $in) (local.get $out) (local.get $rows) (local.get $cols) (local.get $i) (local.get $j))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $c)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $r)))
    ;; the last cols % 4 columns of the other rows
    (local.set $i (i32.const 0))
    (block $r2_done (loop $r2
      (br_if $r2_done (i32.ge_u (local.get $i) (local.get $rows4)))
      (local.set $j (local.get $cols4))
      (block $c2_done (loop $c2
        (br_if $c2_done (i32.ge_u (local.get $j) (local.get $cols)))
        (call $one (local.get $in) (local.get $out) (local.get $rows) (local.get $cols) (local.get $i) (local.get $j))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $c2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $r2)))))
