#!/bin/sh
# Regenerates the committed test PKI (see README.md). Run from this folder; needs only the openssl CLI.
set -eu
DAYS=36500
cat > san.ext <<'X'
subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
X
cat > client.ext <<'X'
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
X
# Test CA (trusted by the generated kubeconfig) and a second, unrelated CA (for "wrong CA" failures).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
  -days $DAYS -subj "/CN=kubectl-sidecars test CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other-ca.key -out other-ca.crt \
  -days $DAYS -subj "/CN=unrelated test CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
# Server certificate for 127.0.0.1 / ::1 / localhost, signed by the test CA.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial 0x1001 -days $DAYS -extfile san.ext -out server.crt
# The same names, but valid only for one day in 2000: an expired server certificate.
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout expired.key -out expired.csr -subj "/CN=127.0.0.1"
mkdir -p ca.db && : > ca.db/index.txt && echo 1002 > ca.db/serial
cat > ca.cnf <<'X'
[ca]
default_ca=test
[test]
dir=.
database=ca.db/index.txt
serial=ca.db/serial
new_certs_dir=ca.db
default_md=sha256
policy=any
unique_subject=no
[any]
commonName=supplied
X
openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr -out expired.crt -notext \
  -startdate 20000101000000Z -enddate 20000102000000Z -extfile san.ext
# A client certificate signed by the test CA (CN = user name, O = group, as the API server reads them).
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr -subj "/O=test-group/CN=test-user"
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -set_serial 0x2001 -days $DAYS -extfile client.ext -out client.crt
rm -rf ca.db ca.cnf san.ext client.ext *.csr ca.srl
