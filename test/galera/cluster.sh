#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on loopback ports, for tests. Needs Debian's mariadb-server,
# galera-4 and rsync (all on the machine; `apt-get install -y galera-4 rsync` otherwise). Run as root.
#
#   cluster.sh start DIR [BASE_PORT]   create (first time) and start 3 nodes under DIR
#   cluster.sh stop DIR                stop every node (SIGTERM, then wait)
#   cluster.sh kill DIR N              SIGKILL node N (1..3): a crash
#   cluster.sh restart DIR N           start node N again; it rejoins (IST/SST) and waits until synced
#   cluster.sh status DIR              one line per node: port, wsrep_ready, cluster size, state
#
# Node N listens for SQL on BASE_PORT+N-1 (default base 13306), root without password over TCP
# at 127.0.0.1. Galera's own ports: BASE_PORT+1261+10*N (group; 14577.. for the default base), +1
# (IST), +2 (SST): derived from the base so two clusters with different bases never collide.
#
# Copied from the team's Galera test recipe (the project carries its own copy). Its notes:
#   D=$(mktemp -d); cluster.sh start "$D" 13306; cluster.sh kill "$D" 2; cluster.sh restart "$D" 2
#   cluster.sh status "$D"; cluster.sh stop "$D"; rm -rf "$D"   (after stop: forget it)
# The settings Galera needs are in each node's my.cnf under DIR (ROW binlog format,
# innodb_autoinc_lock_mode=2, rsync state transfer). Measured on a 2-core machine: start ~10 s,
# kill -> the others keep serving at once, restart of a killed node -> Synced in ~6 s, full stop
# and start -> the data is still there.
set -euo pipefail
cmd=${1:?usage: cluster.sh start|stop|kill|restart|status DIR [..]}; DIR=${2:?DIR}
mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd)
BASE=$(cat "$DIR/base_port" 2>/dev/null || echo "${3:-13306}")
PROVIDER=/usr/lib/galera/libgalera_smm.so
[ -f "$PROVIDER" ] || { echo "galera-4 is not installed (apt-get install -y galera-4 rsync)" >&2; exit 2; }

sqlport() { echo $((BASE + $1 - 1)); }
gport() { echo $((BASE + 1261 + 10 * $1)); }
members() { echo "gcomm://127.0.0.1:$(gport 1),127.0.0.1:$(gport 2),127.0.0.1:$(gport 3)"; }
q() { mariadb --protocol=tcp -h127.0.0.1 -P"$(sqlport "$1")" -uroot -N -B -e "$2" 2>/dev/null; }

# How fast the others notice a dead node. Until they do, every commit in the cluster waits (the
# group's total order needs the dead member's acknowledgement), so Galera's defaults (suspect after
# 5 s, evict after 15 s) stall all writes for 5 s or more; loopback needs far less. The order
# keepalive <= check period <= suspect <= inactive must hold. See README "Running on more than one machine".
EVS="evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT5S"

cnf() { # node
  local n=$1 d="$DIR/node$1"
  cat > "$d/my.cnf" <<CNF
[mysqld]
datadir=$d/data
socket=$d/sock
pid-file=$d/pid
log-error=$d/error.log
port=$(sqlport "$n")
bind-address=127.0.0.1
user=mysql
skip-log-bin
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=128M
innodb_flush_log_at_trx_commit=2
wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=eventlog_test
wsrep_cluster_address=$(members)
wsrep_node_name=node$n
wsrep_node_address=127.0.0.1:$(gport "$n")
wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:$(gport "$n");ist.recv_addr=127.0.0.1:$(($(gport "$n") + 1));gcache.size=64M;$EVS"
wsrep_sst_method=rsync
# A full state transfer by rsync locks its donor against writes: prefer node 3 (node 2 for node 3 itself), which the tests keep free of instances; the trailing comma allows any other.
wsrep_sst_donor=$([ "$n" = 3 ] && echo node2 || echo node3),
wsrep_sst_receive_address=127.0.0.1:$(($(gport "$n") + 2))
CNF
}

launch() { # node [extra args]
  local n=$1; shift
  setsid /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" "$@" </dev/null >>"$DIR/node$n/stdout.log" 2>&1 &
  echo $! > "$DIR/node$n/mariadbd.pid"
}

wait_synced() { # node
  local pid; pid=$(cat "$DIR/node$1/mariadbd.pid")
  for _ in $(seq 1 180); do
    [ "$(q "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2)" = Synced ] && return 0
    kill -0 "$pid" 2>/dev/null || { echo "node $1 exited before it was Synced; see $DIR/node$1/error.log" >&2; return 1; }
    sleep 0.5
  done
  echo "node $1 did not reach Synced; see $DIR/node$1/error.log" >&2; return 1
}

recovered_position() { # node: the last committed position InnoDB holds, empty when unknown
  local n=$1 log="$DIR/node$1/recover.log" pid pos=
  rm -f "$log"
  /usr/sbin/mariadbd --defaults-file="$DIR/node$n/my.cnf" --wsrep-recover --log-error="$log" </dev/null >/dev/null 2>&1 &
  pid=$!
  # The position is printed once InnoDB has recovered; the clean shutdown after it is of no use
  # here and was seen in CI to outlast a 30 s bound. Bounded: with no position after 60 s the node
  # starts without one (a full SST, see wsrep_sst_donor).
  for _ in $(seq 1 120); do
    pos=$(sed -n 's/.*Recovered position: *\([^ ]*\).*/\1/p' "$log" 2>/dev/null | tail -1)
    [ -n "$pos" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$pos"
}

case $cmd in
start)
  echo "$BASE" > "$DIR/base_port"
  chmod 755 "$DIR"; chown mysql:mysql "$DIR"   # mariadbd runs as mysql (a mktemp folder is root's, 0700)
  for n in 1 2 3; do
    mkdir -p "$DIR/node$n"; chown mysql:mysql "$DIR/node$n"; cnf "$n"
    if [ ! -d "$DIR/node$n/data/mysql" ]; then
      mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/node$n/data" \
        --auth-root-authentication-method=normal >"$DIR/node$n/install.log" 2>&1 \
        || { tail -5 "$DIR/node$n/install.log" >&2; exit 1; }
    fi
  done
  chown -R mysql:mysql "$DIR"
  # node 1 bootstraps a new primary component (first start) or after a full stop
  sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/node1/data/grastate.dat" 2>/dev/null || true
  launch 1 --wsrep-new-cluster; wait_synced 1
  q 1 "GRANT ALL ON *.* TO 'root'@'127.0.0.1' IDENTIFIED BY '' WITH GRANT OPTION; GRANT ALL ON *.* TO 'root'@'localhost' IDENTIFIED BY '' WITH GRANT OPTION; FLUSH PRIVILEGES" || true
  launch 2; wait_synced 2
  launch 3; wait_synced 3
  "$0" status "$DIR"
  ;;
stop)
  for n in 3 2 1; do
    p=$(cat "$DIR/node$n/mariadbd.pid" 2>/dev/null || true)
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 60); do [ -n "$p" ] && kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true   # still there after 30 s: a test must not leave it behind
  done
  ;;
kill)
  n=${3:?node}; p=$(cat "$DIR/node$n/mariadbd.pid"); kill -KILL "$p"; echo "killed node $n (pid $p)"
  ;;
restart)
  n=${3:?node}
  # A killed node's grastate.dat says seqno -1: started as is, it would need a full state transfer
  # (SST), during which rsync locks its donor, a live node, against writes. Recovering its last
  # committed position from InnoDB first (what the packaged service does) lets it catch up by IST.
  # Seen once in CI: the rejoining node's mariadbd aborted during its state transfer. So a second
  # try, from the position InnoDB holds then (the first may have moved it), before giving up.
  for try in 1 2; do
    pos=$(recovered_position "$n")
    if launch "$n" ${pos:+--wsrep-start-position=$pos} && wait_synced "$n"; then
      echo "node $n synced on try $try${pos:+ (from $pos)}"; exit 0
    fi
    p=$(cat "$DIR/node$n/mariadbd.pid"); kill -KILL "$p" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
  done
  echo "node $n did not rejoin in two tries" >&2; exit 1
  ;;
status)
  for n in 1 2 3; do
    r=$(q "$n" "SHOW STATUS WHERE Variable_name IN ('wsrep_ready','wsrep_cluster_size','wsrep_local_state_comment')" | tr '\n\t' ' =' || true)
    echo "node$n 127.0.0.1:$(sqlport "$n") ${r:-down}"
  done
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
