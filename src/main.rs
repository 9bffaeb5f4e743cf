fn main() {
    downhill::start();
}
