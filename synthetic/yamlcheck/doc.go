// Package yamlcheck reads synthetic checks from YAML. It keeps the YAML
// dependency out of package synthetic: the document has exactly the schema
// of synthetic.Load's JSON (snake_case fields, durations as strings such
// as "500ms"), and is validated by the same code, so errors name the
// check, the step and the field the same way.
//
//	checks:
//	  - name: shop
//	    interval: 30s
//	    vars: {password: "env:SHOP_PASSWORD"}
//	    steps:
//	      - name: login
//	        method: POST
//	        url: http://127.0.0.1:8080/login
//	        body: '{"password":"${password}"}'
//	        assert: [{status: 200}]
//	        extract: [{name: token, json_path: $.token}]
//	      - name: cart
//	        grpc: {target: "127.0.0.1:50051", service: cart}
//	        assert: [{code: SERVING}]
//
// A step with a grpc object (see package synthetic/grpccheck) is read
// only with grpccheck.FileSupport() among Load's options.
//
// # Performance
//
// Loading is done once at start-up; nothing here is on a request path.
//
// # Cardinality
//
// None: this package records no metrics.
package yamlcheck
